import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import React from 'react';
import { Severity, SEVERITY_PALETTE } from 'driftguard-api-contract';
import { severityColor } from './styles';

export function SeverityBadge({ severity }: { severity: Severity }) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const color = severityColor(theme, severity);
  return (
    <span className={styles.badge} style={{ color }} data-severity={severity}>
      <span className={styles.dot} style={{ background: color }} aria-hidden />
      {SEVERITY_PALETTE[severity].label}
    </span>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  badge: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.75),
    fontWeight: theme.typography.fontWeightMedium,
    whiteSpace: 'nowrap',
  }),
  dot: css({ width: 8, height: 8, borderRadius: theme.shape.radius.circle, flexShrink: 0 }),
});
