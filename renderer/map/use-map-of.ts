import { useEffect, useState } from 'react';
import * as Y from 'yjs';
import { readMap } from '../../shared/map/doc';
import type { EnvironmentMap } from '../../shared/map/model';

const readDocMap = (doc: Y.Doc) => readMap(doc).map;

/**
 * The map of a replica, read again after each change of the doc. Read once when the editor mounts
 * (not a second time in the effect unless the doc changed in between): reading a map of thousands
 * of systems and re-rendering it is most of the cost of opening the tab.
 */
export function useMapOf(doc: Y.Doc): EnvironmentMap {
  const [value, setValue] = useState(() => ({ map: readDocMap(doc), state: Y.encodeStateVector(doc) }));
  useEffect(() => {
    const state = Y.encodeStateVector(doc);
    setValue((current) =>
      current.state.length === state.length && current.state.every((b, i) => b === state[i]) ? current : { map: readDocMap(doc), state },
    );
    const onUpdate = () => setValue({ map: readDocMap(doc), state: Y.encodeStateVector(doc) });
    doc.on('update', onUpdate);
    return () => doc.off('update', onUpdate);
  }, [doc]);
  return value.map;
}
