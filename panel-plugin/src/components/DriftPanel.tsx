import { css } from '@emotion/css';
import { GrafanaTheme2, LoadingState, PanelProps } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { Alert, LoadingPlaceholder, useStyles2, useTheme2 } from '@grafana/ui';
import React, { useMemo } from 'react';
import { readDriftFrames, wholeIntervals } from '../data/frames';
import { queryContext, selectedFeature } from '../data/panelContext';
import { canOperate } from '../data/role';
import { useRetrain } from '../data/useRetrain';
import { DriftPanelOptions } from '../types';
import { DeepDive } from './DeepDive';
import { ExportButtons } from './ExportButtons';
import { FeatureTable } from './FeatureTable';
import { panelLayout } from './layout';
import { PanelMessage } from './PanelMessage';
import { RetrainAdvisor } from './RetrainAdvisor';
import { useContentWidth } from './useContentWidth';

type Props = PanelProps<DriftPanelOptions>;

/** Room the panel's own padding and a vertical scrollbar take, until the content width is measured. */
const UNMEASURED_CHROME = 16;

export function DriftPanel({ data, options, width, height, replaceVariables, timeRange, timeZone }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const [measure, contentWidth] = useContentWidth(Math.max(width - UNMEASURED_CHROME, 200));
  const frames = useMemo(() => readDriftFrames(data.series), [data.series]);
  const fromMs = timeRange.from.valueOf();
  const toMs = timeRange.to.valueOf();
  const psiTrends = useMemo(
    () => new Map([...frames.psiTrends].map(([name, points]) => [name, wholeIntervals(points, fromMs, toMs)] as const)),
    [frames.psiTrends, fromMs, toMs]
  );
  const { model, datasource } = queryContext(data, replaceVariables);
  const modelId = model ?? frames.modelFromLabels;
  const feature = selectedFeature(options.featureVariable, replaceVariables);
  const retrain = useRetrain(datasource, modelId, frames.jobs);
  const show = (view: DriftPanelOptions['viewMode']) => options.viewMode === 'all' || options.viewMode === view;
  const errors = data.errors ?? [];

  if (data.state === LoadingState.Loading && data.series.length === 0) {
    return <LoadingPlaceholder text="Loading drift figures from DriftGuard…" />;
  }
  if (!frames.features && !frames.detail && !frames.recommendation && !frames.summary) {
    return (
      <div className={styles.panel} style={{ width, height }}>
        <QueryErrors errors={errors} />
        <PanelMessage title="No DriftGuard data">
          Give this panel DriftGuard queries for $model: Feature table, Feature detail (feature $
          {options.featureVariable}), Recommendation, Model summary, Trends (metric PSI) and Retrain jobs. The panel
          README lists them. If they are there, widen the time range: the model may have no predictions in it.
        </PanelMessage>
      </div>
    );
  }

  const layout = panelLayout(contentWidth, options.viewMode === 'all', columnGap(theme));
  const row = frames.features?.find((candidate) => candidate.feature === feature);
  return (
    <div className={styles.panel} style={{ width, height }} ref={measure}>
      <div className={styles.toolbar}>
        <span className={styles.model}>{modelId ?? 'no model'}</span>
        <ExportButtons modelId={modelId} lookup={retrain.lookup} window={{ fromMs, toMs }} />
      </div>
      <QueryErrors errors={errors} />
      {show('diagnostics') && (
        <section aria-label="Feature diagnostics">
          {frames.features ? (
            <FeatureTable
              features={frames.features}
              psiTrends={psiTrends}
              metrics={options.metrics}
              psiWarning={options.psiWarning}
              psiCritical={options.psiCritical}
              density={layout.table}
              sparklineWidth={layout.sparklineWidth}
              selected={feature}
              onAnalyze={(name) => locationService.partial({ [`var-${options.featureVariable}`]: name })}
            />
          ) : (
            <PanelMessage title="No feature table">
              Add a DriftGuard query of type Feature table for $model.
            </PanelMessage>
          )}
        </section>
      )}
      <div className={styles.columns} style={{ gridTemplateColumns: `repeat(${layout.columns}, minmax(0, 1fr))` }}>
        {show('deepDive') && (
          <DeepDive feature={feature} row={row} detail={frames.detail} options={options} width={layout.columnWidth} />
        )}
        {show('advisor') && (
          <RetrainAdvisor
            modelId={modelId}
            summary={frames.summary}
            recommendation={frames.recommendation}
            retrain={retrain}
            canOperate={canOperate()}
            timeZone={timeZone}
            compactJobs={layout.compactJobs}
          />
        )}
      </div>
    </div>
  );
}

function QueryErrors({ errors }: { errors: Array<{ refId?: string; message?: string }> }) {
  if (errors.length === 0) {
    return null;
  }
  return (
    <Alert title="Some DriftGuard queries failed" severity="warning">
      {errors.map((error, index) => (
        <div key={`${error.refId}-${index}`}>
          {error.refId ? `${error.refId}: ` : ''}
          {error.message ?? 'unknown error'}
        </div>
      ))}
      <div>
        Check the queries&apos; model and feature, and the DriftGuard data source (Save &amp; test in its settings).
      </div>
    </Alert>
  );
}

/** Between the deep dive and the retrain advisor, in pixels. */
const columnGap = (theme: GrafanaTheme2) => theme.spacing.gridSize * 3;

const getStyles = (theme: GrafanaTheme2) => ({
  // A grid, not a flex column: @grafana/ui's Alert grows to fill a flex container. Its one track is
  // minmax(0, 1fr), so no content can widen the panel past the width Grafana gave it.
  panel: css({
    overflow: 'auto',
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr)',
    alignContent: 'start',
    gap: theme.spacing(2),
    paddingRight: theme.spacing(1),
  }),
  toolbar: css({
    display: 'flex',
    flexWrap: 'wrap',
    justifyContent: 'space-between',
    alignItems: 'center',
    gap: theme.spacing(1),
  }),
  model: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  columns: css({ display: 'grid', gap: columnGap(theme), alignItems: 'start' }),
});
