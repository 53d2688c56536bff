import type { FileReport, ImportReport } from '../../shared/import/model';

const ACTION_LABELS: Record<FileReport['action'], string> = {
  create: 'New note',
  update: 'Updated',
  unchanged: 'Unchanged',
  edited: 'Edited here: left alone',
  skip: 'Not imported',
};

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

/** What an import did (or would do): the totals, then one row per source file with its problems. */
export function ImportReportTable({ report }: { report: ImportReport }) {
  return (
    <section className="import-report" aria-label={report.dryRun ? 'Import preview' : 'Import result'}>
      <p>
        <strong>
          {report.dryRun ? 'Would import' : 'Imported'} {plural(report.notes, 'note')}
        </strong>
        : {report.created} new, {report.updated} updated, {report.unchanged} unchanged
        {report.edited > 0 && `, ${report.edited} edited in Outpost and left alone`}
        {report.skipped > 0 && `, ${report.skipped} not imported`}. {plural(report.links, 'link')}
        {report.unresolvedLinks > 0 && ` (${report.unresolvedLinks} kept as text)`}, {plural(report.attachments, 'attachment')}.
      </p>
      {report.newEngagements.length > 0 && <p>New engagements: {report.newEngagements.join(', ')}</p>}
      <div className="import-table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Note</th>
              <th scope="col">What happens</th>
              <th scope="col">Links</th>
              <th scope="col">Files</th>
              <th scope="col">Problems</th>
            </tr>
          </thead>
          <tbody>
            {report.files.slice(0, 1000).map((file) => (
              <tr key={file.path} className={file.action === 'skip' ? 'import-skip' : undefined}>
                <td>{file.path}</td>
                <td>{file.title}</td>
                <td>{ACTION_LABELS[file.action]}</td>
                <td>{file.links}</td>
                <td>{file.attachments}</td>
                <td>
                  {file.issues.map((issue) => (
                    <div key={issue.message} className={issue.severity === 'error' ? 'error' : 'muted'}>
                      {issue.severity === 'error' ? 'Error: ' : ''}
                      {issue.message}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {report.files.length > 1000 && <p className="muted small">The first 1,000 of {plural(report.files.length, 'file')} are listed.</p>}
    </section>
  );
}
