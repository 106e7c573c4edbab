import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { LinkButton, useStyles2 } from '@grafana/ui';
import React from 'react';
import { RetrainOperationsLookup, TimeWindow } from '../data/retrainApi';

interface Props {
  modelId?: string;
  window: TimeWindow;
  lookup?: RetrainOperationsLookup;
}

const FORMATS = [
  { format: 'csv', label: 'CSV' },
  { format: 'pdf', label: 'PDF' },
] as const;

/** The model's CSV and PDF reports over the dashboard's time range, downloaded through the data source. */
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
          href={ready ? lookup.operations.reportUrl(modelId, format, window) : undefined}
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
