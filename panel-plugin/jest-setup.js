// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// i18next (behind @grafana/ui) prints an advert for its hosted product on its first init; keep test output to what tests say.
process.env.I18NEXT_NO_SUPPORT_NOTICE = 'true';
