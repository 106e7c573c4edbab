// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';

// i18next (behind @grafana/ui) prints an advert for its hosted product on its first init; keep test output to what tests say.
process.env.I18NEXT_NO_SUPPORT_NOTICE = 'true';

// jsdom has no canvas; @grafana/ui's Combobox sizes its menu with measureText.
HTMLCanvasElement.prototype.getContext = () => ({ font: '', measureText: (text) => ({ width: text.length * 7 }) });

// jsdom has no IntersectionObserver; @grafana/ui's scroll indicators (Combobox menus) observe with it.
global.IntersectionObserver = class {
  observe() {}
  unobserve() {}
  disconnect() {}
};
