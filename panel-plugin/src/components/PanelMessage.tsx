import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React from 'react';

/** An empty or unavailable state: what is missing and what to do about it. */
export function PanelMessage({ title, children }: { title: string; children: React.ReactNode }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.message} role="status">
      <strong>{title}</strong>
      <p className={styles.text}>{children}</p>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  message: css({
    padding: theme.spacing(2),
    border: `1px dashed ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    color: theme.colors.text.secondary,
  }),
  text: css({ margin: theme.spacing(0.5, 0, 0) }),
});
