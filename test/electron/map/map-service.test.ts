import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import { MapService } from '../../../electron/map/map-service';
import { OutpostError } from '../../../shared/errors';
import { docIdFor } from '../../../shared/ids';
import { bodyFacts, noteBody } from '../../../shared/notes/doc';
import { noteSchema } from '../../../shared/notes/schema';
import { openTempNotebook } from '../../helpers/notebook';

describe('MapService', () => {
  it('keeps the map in the engagement doc, imports all or nothing, and lists notes that [[link]] a system', async () => {
    const notebook = await openTempNotebook();
    try {
      const heron = await notebook.engagements.create({ client: 'Acme', codename: 'HERON' });
      const maps = new MapService(notebook.docs, notebook.engagements);

      const bad = 'name,kind\nERP,application\nWMS,warp drive\n';
      await expect(maps.applyImport(heron.id, bad)).rejects.toThrow(OutpostError);
      expect((await maps.read(heron.id)).map.systems).toEqual([]);
      const plan = await maps.applyImport(heron.id, 'name,kind\nERP,application\nWMS,database\n');
      expect(plan.counts.systems).toBe(2);
      const { map } = await maps.read(heron.id);
      const erp = map.systems.find((s) => s.name === 'ERP');
      expect(erp).toBeDefined();
      expect(await maps.findSystems(heron.id, 'e')).toEqual([{ id: erp?.id, name: 'ERP', kind: 'application' }]);
      // The engagement itself is untouched by map edits.
      expect((await notebook.engagements.get(heron.id)).codename).toBe('HERON');

      // A note links the system the way the editor does: a noteLink node of kind "system".
      const note = await notebook.notes.create({ engagementId: heron.id, type: 'incident', title: 'Dates as strings' });
      const doc = await notebook.docs.open(docIdFor('note', note.id));
      doc.transact(() => {
        const fragment = noteBody(doc);
        fragment.delete(0, fragment.length);
        prosemirrorJSONToYXmlFragment(
          noteSchema(),
          {
            type: 'doc',
            content: [
              {
                type: 'paragraph',
                content: [
                  { type: 'text', text: 'The order file from ' },
                  { type: 'noteLink', attrs: { id: erp?.id, label: 'ERP', kind: 'system' } },
                ],
              },
            ],
          },
          fragment,
        );
      });
      await notebook.docs.flush();
      expect(bodyFacts(noteBody(doc)).links).toEqual([erp?.id]);
      expect((await notebook.notes.backlinks(erp?.id as string)).map((n) => n.title)).toEqual(['Dates as strings']);
    } finally {
      await notebook.close();
    }
  }, 60_000);
});
