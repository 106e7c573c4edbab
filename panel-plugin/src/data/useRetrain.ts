import { DataSourceRef } from '@grafana/schema';
import { useCallback, useEffect, useState } from 'react';
import { RetrainingMethods } from 'driftguard-api-contract';
import { lookUpRetrainOperations, RetrainOperationsLookup } from './retrainApi';
import { jobFromApi, RetrainJobView } from './retrainJobs';

/** A failure as the data source reports it: an Error, or Grafana's FetchError with a problem+json body. */
export function failureMessage(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  const data = (error as { data?: { detail?: string; message?: string } } | undefined)?.data;
  return data?.detail ?? data?.message ?? String(error);
}

export interface RetrainState {
  lookup?: RetrainOperationsLookup;
  /** The jobs from the panel's frames, or fresher ones after the panel scheduled or cancelled. */
  jobs?: RetrainJobView[];
  busy: boolean;
  error?: string;
  schedule(reason: string): void;
  cancel(jobId: string): void;
}

export function useRetrain(
  ref: DataSourceRef | undefined,
  modelId: string | undefined,
  frameJobs?: RetrainJobView[]
): RetrainState {
  const [lookup, setLookup] = useState<RetrainOperationsLookup>();
  const [refreshed, setRefreshed] = useState<{ after?: RetrainJobView[]; jobs: RetrainJobView[] }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const uid = ref?.uid;
  const type = ref?.type;

  useEffect(() => {
    let current = true;
    lookUpRetrainOperations(uid ? { uid, type } : undefined).then((found) => current && setLookup(found));
    return () => {
      current = false;
    };
  }, [uid, type]);

  const run = useCallback(
    (action: (operations: RetrainingMethods) => Promise<unknown>) => {
      if (lookup?.state !== 'ready' || !modelId) {
        return;
      }
      setBusy(true);
      setError(undefined);
      action(lookup.operations)
        // The list is reloaded after a refusal too: the job may have moved on (a 409 when it has finished).
        .catch((caught: unknown) => setError(failureMessage(caught)))
        .then(() => lookup.operations.listRetrainJobs(modelId))
        .then((jobs) => setRefreshed({ after: frameJobs, jobs: jobs.map(jobFromApi) }))
        .catch((caught: unknown) => setError(failureMessage(caught)))
        .finally(() => setBusy(false));
    },
    [lookup, modelId, frameJobs]
  );

  return {
    lookup,
    // New frames (a dashboard refresh) supersede what the panel fetched itself.
    jobs: refreshed && refreshed.after === frameJobs ? refreshed.jobs : frameJobs,
    busy,
    error,
    schedule: (reason) => run((operations) => operations.scheduleRetrain(modelId!, { reason })),
    cancel: (jobId) => run((operations) => operations.cancelRetrain(jobId)),
  };
}
