import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { runDebianTool } from '../../drift-server/test/metrics/promtool';
import { messageTemplates } from './support/grafana';

/** Grafana's notification templates are Alertmanager's Go templates: amtool parses and runs them. */
const amtool = (args: string[]) => runDebianTool('amtool', 'prometheus-alertmanager', args);

describe('notification templates', () => {
  let directory: string;
  let templateFiles: string[];

  beforeAll(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'driftguard-templates-'));
    templateFiles = messageTemplates().map(({ name, template }) => {
      const file = path.join(directory, `${name}.tmpl`);
      fs.writeFileSync(file, template);
      return file;
    });
  });

  afterAll(() => fs.rmSync(directory, { recursive: true }));

  it('parse (amtool check-config)', () => {
    const config = path.join(directory, 'alertmanager.yml');
    fs.writeFileSync(
      config,
      stringify({ route: { receiver: 'none' }, receivers: [{ name: 'none' }], templates: templateFiles })
    );
    const result = amtool(['check-config', config]);
    expect([result.status, result.output]).toEqual([0, expect.stringContaining(`${templateFiles.length} templates`)]);
  });

  it("render the title on Alertmanager's example notification", () => {
    const result = amtool([
      'template',
      'render',
      `--template.glob=${directory}/*.tmpl`,
      '--template.text={{ template "driftguard.title" . }}',
    ]);
    expect([result.status, result.output]).toEqual([0, expect.stringMatching(/^\[[A-Z]+/)]);
  });
});
