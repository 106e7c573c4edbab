import { DataSourcePluginOptionsEditorProps, GrafanaTheme2 } from '@grafana/data';
import { Field, FieldSet, Input, SecretInput, useStyles2 } from '@grafana/ui';
import { css } from '@emotion/css';
import React, { ChangeEvent } from 'react';
import { DriftDataSourceOptions, DriftSecureJsonData } from '../types';

type Props = DataSourcePluginOptionsEditorProps<DriftDataSourceOptions, DriftSecureJsonData>;
type TokenKey = keyof DriftSecureJsonData;

const TOKENS: Array<{ key: TokenKey; label: string; description: string }> = [
  {
    key: 'readToken',
    label: 'Read token',
    description:
      'drift-server token with scope "read" only. Grafana sends it for every Viewer, so Save & test refuses an admin token here.',
  },
  {
    key: 'operateToken',
    label: 'Operate token',
    description:
      'drift-server token with scopes "read" and "operate" only. Grafana sends it for every Editor who schedules or cancels retraining: an admin token would make each of them a drift-server admin, so Save & test refuses it.',
  },
];

const getStyles = (theme: GrafanaTheme2) => ({
  editor: css({ maxWidth: theme.spacing(80) }),
});

export function ConfigEditor({ options, onOptionsChange }: Props) {
  const styles = useStyles2(getStyles);
  const { jsonData, secureJsonFields, secureJsonData } = options;

  const onServerUrlChange = (event: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, serverUrl: event.target.value.trim() } });

  const onTokenChange = (key: TokenKey) => (event: ChangeEvent<HTMLInputElement>) =>
    onOptionsChange({ ...options, secureJsonData: { ...secureJsonData, [key]: event.target.value } });

  const onTokenReset = (key: TokenKey) => () =>
    onOptionsChange({
      ...options,
      secureJsonFields: { ...secureJsonFields, [key]: false },
      secureJsonData: { ...secureJsonData, [key]: '' },
    });

  return (
    <div className={styles.editor}>
      <FieldSet label="drift-server">
        <Field
          label="URL"
          required
          description="As the Grafana server reaches drift-server; browsers never call it directly. To record Grafana users in drift-server's audit log, set send_user_header = true under [dataproxy] in grafana.ini."
        >
          <Input
            id="driftguard-server-url"
            value={jsonData.serverUrl ?? ''}
            placeholder="http://drift-server:8080"
            onChange={onServerUrlChange}
          />
        </Field>
      </FieldSet>
      <FieldSet label="Tokens">
        {TOKENS.map(({ key, label, description }) => (
          <Field key={key} label={label} description={description}>
            <SecretInput
              id={`driftguard-${key}`}
              isConfigured={Boolean(secureJsonFields?.[key])}
              value={secureJsonData?.[key] ?? ''}
              placeholder="dg_…"
              onChange={onTokenChange(key)}
              onReset={onTokenReset(key)}
            />
          </Field>
        ))}
      </FieldSet>
    </div>
  );
}
