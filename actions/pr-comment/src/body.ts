import { commentMarker } from '../../../lib/summary.js';

/** Any of our hidden comment markers, whatever check it names. */
const OUR_MARKERS = /<!--\s*decisionlog-deploy:[^>]*-->\n?/g;

/**
 * The comment text: our marker first, then the report with every marker of ours removed — the report
 * was built by a job that ran pull-request code, so a marker inside it must not make this comment the
 * one another check (or the next run of a different one) finds and edits.
 */
export function commentBody(markerName: string, report: string): string {
  return `${commentMarker(markerName)}\n${report.replace(OUR_MARKERS, '').trim()}`;
}
