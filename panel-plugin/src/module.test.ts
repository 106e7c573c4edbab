import { PanelPlugin } from '@grafana/data';
import { plugin } from './module';

describe('module', () => {
  it('exports a panel plugin with a panel component', () => {
    expect(plugin).toBeInstanceOf(PanelPlugin);
    expect(plugin.panel).toBeDefined();
  });
});
