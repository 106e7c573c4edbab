import { css } from '@emotion/css';
import { GrafanaTheme2, locationUtil } from '@grafana/data';
import { LinkButton, useStyles2 } from '@grafana/ui';
import React from 'react';
import { TimeWindow } from 'driftguard-api-contract';
import { RetrainOperationsLookup } from '../data/retrainApi';

interface Props {
  modelId?: string;
  window: TimeWindow;
  lookup?: RetrainOperationsLookup;
}

const FORMATS = [
  { format: 'csv', label: 'CSV' },
  { format: 'pdf', label: 'PDF' },
] as const;

/**
 * The model's CSV and PDF reports over the dashboard's time range, downloaded through the data source.
 * `target="_self"`: Grafana intercepts every click on a link without a target and routes it inside
 * the app (public/app/core/navigation/patch/interceptLinkClicks.ts), which would show "Page not
 * found" instead of downloading. The data source's URL lacks Grafana's sub-path (instanceSettings.url
 * is /api/datasources/proxy/…; backendSrv resolves it against <base href>, a raw href does not), so
 * the link gets config.appSubUrl through locationUtil.assureBaseUrl.
 */
export function ExportButtons({ modelId, window, lookup }: Props) {
  const styles = useStyles2(getStyles);
  const ready = lookup?.state === 'ready' && modelId !== undefined;
  const why = !modelId ? 'No model to export.' : lookup?.state === 'unavailable' ? lookup.reason : undefined;
  return (
    <div className={styles.exports}>
      {FORMATS.map(({ format, label }) => (
        <LinkButton
          key={format}
          size="sm"
          variant="secondary"
          icon="download-alt"
          disabled={!ready}
          href={ready ? locationUtil.assureBaseUrl(lookup.operations.reportUrl(modelId, format, window)) : undefined}
          target="_self"
          download={ready ? `${modelId}-report.${format}` : undefined}
          tooltip={why}
        >
          {label}
        </LinkButton>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  exports: css({ display: 'flex', gap: theme.spacing(1) }),
});
