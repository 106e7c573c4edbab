import { ScopedVars, TypedVariableModel } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

type Values = Record<string, string | string[]>;

const VARIABLE = /\$\{(\w+)(?::(\w+))?\}|\$(\w+)/g;

function format(value: string | string[], formatName: string | undefined): string {
  if (!Array.isArray(value)) {
    return value;
  }
  // Grafana's default for a multi-value variable outside a data source format is the glob {a,b}.
  return formatName === 'csv' ? value.join(',') : `{${value.join(',')}}`;
}

/** Dashboard variables for tests: `$name` and `${name}` with scoped variables first, csv and glob formats. */
export class TestTemplateSrv implements Pick<TemplateSrv, 'getVariables' | 'replace'> {
  constructor(private readonly values: Values) {}

  getVariables(): TypedVariableModel[] {
    return Object.keys(this.values).map((name) => ({ name, type: 'custom' }) as TypedVariableModel);
  }

  replace(target?: string, scopedVars?: ScopedVars, formatName?: string | Function): string {
    return (target ?? '').replace(VARIABLE, (match, braced?: string, inlineFormat?: string, bare?: string) => {
      const name = braced ?? bare ?? '';
      const value = scopedVars?.[name]?.value ?? this.values[name];
      return value === undefined
        ? match
        : format(value as string | string[], inlineFormat ?? (typeof formatName === 'string' ? formatName : undefined));
    });
  }
}
