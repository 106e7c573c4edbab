import type { ReportContent } from './content';
import type { CsvTable } from './csv';

/** `20261113T0000Z` from an ISO time: sortable, and safe in file names on every system. */
const compactTime = (iso: string) => iso.replace(/[-:]/g, '').replace(/\d\d\.\d{3}Z$/, 'Z');

/** The file a report is saved as: model id (already file-name safe), window, and the CSV table or `pdf`. */
export function reportFileName(content: ReportContent, kind: CsvTable | 'pdf'): string {
  const stem = `driftguard-${content.model.id}-${compactTime(content.window.from)}-${compactTime(content.window.to)}`;
  return kind === 'pdf' ? `${stem}.pdf` : `${stem}-${kind}.csv`;
}
