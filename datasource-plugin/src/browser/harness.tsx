// Browser entry of the editor harness: the real editors and @grafana/ui, themed, wired to a live
// drift-server through the harness server's data proxy emulation.
import { createTheme, DataSourceSettings, ThemeContext } from '@grafana/data';
import { BackendSrv, setBackendSrv, setTemplateSrv, TemplateSrv } from '@grafana/runtime';
import { Button, GlobalStyles, PortalContainer } from '@grafana/ui';
import React, { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ConfigEditor } from '../components/ConfigEditor';
import { QueryEditor } from '../components/QueryEditor';
import { VariableQueryEditor } from '../components/VariableQueryEditor';
import { DataSource } from '../datasource';
import { instanceSettings } from '../test-support/instanceSettings';
import { TestTemplateSrv } from '../test-support/TestTemplateSrv';
import { DriftDataSourceOptions, DriftQuery, DriftSecureJsonData, DriftVariableQuery } from '../types';
import { FetchBackendSrv } from './FetchBackendSrv';

const params = new URLSearchParams(window.location.search);
const theme = createTheme({ colors: { mode: params.get('theme') === 'light' ? 'light' : 'dark' } });

setBackendSrv(new FetchBackendSrv() as unknown as BackendSrv);
setTemplateSrv(new TestTemplateSrv({ model: 'credit-risk', feature: 'income' }) as unknown as TemplateSrv);

const settings = instanceSettings(params.get('serverUrl') ?? '');
const datasource = new DataSource(settings);

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section style={{ padding: theme.spacing(2), borderBottom: `1px solid ${theme.colors.border.weak}` }}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

function Harness() {
  const [options, setOptions] = useState({
    jsonData: settings.jsonData,
    secureJsonFields: { readToken: true },
    secureJsonData: {},
  } as unknown as DataSourceSettings<DriftDataSourceOptions, DriftSecureJsonData>);
  const [queries, setQueries] = useState<DriftQuery[]>([
    { refId: 'A', queryType: 'trends', model: '$model', metric: 'psi', interval: '1h' },
    { refId: 'B', queryType: 'featureDetail', model: 'credit-risk', feature: '$feature', section: 'histogram' },
    { refId: 'C', queryType: 'retrainJobs', model: '$model' },
    { refId: 'Anno', queryType: 'annotations', kind: 'retrainJobs', model: '$model' },
  ]);
  const [variable, setVariable] = useState<DriftVariableQuery>({ refId: 'V', queryType: 'features', model: '$model' });
  const [health, setHealth] = useState('');
  return (
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <div
        style={{ background: theme.colors.background.primary, color: theme.colors.text.primary, minHeight: '100vh' }}
      >
        <Section title="Config editor">
          <ConfigEditor options={options} onOptionsChange={setOptions} />
          <Button
            id="test-datasource"
            onClick={() => datasource.testDatasource().then((r) => setHealth(`${r.status}: ${r.message}`))}
          >
            Save &amp; test
          </Button>
          <p id="health-result">{health}</p>
        </Section>
        {queries.map((query, index) => (
          <Section key={query.refId} title={`Query ${query.refId}`}>
            <QueryEditor
              query={query}
              datasource={datasource}
              onChange={(changed) => setQueries(queries.map((q, i) => (i === index ? changed : q)))}
              onRunQuery={() => undefined}
            />
          </Section>
        ))}
        <Section title="Variable query editor">
          <VariableQueryEditor
            query={variable}
            datasource={datasource}
            onChange={setVariable}
            onRunQuery={() => undefined}
          />
        </Section>
      </div>
      <PortalContainer />
    </ThemeContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(<Harness />);
