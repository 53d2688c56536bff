import { createContext, type ReactNode, useContext, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import type { NotebookInfo } from '../../shared/notebook/calls';
import type { ApiClient } from '../api/client';
import type { ConnectionStatus } from '../api/transport';
import type { SyncState } from '../sync/main-sync-provider';
import type { Replica, ReplicaPool } from '../sync/replicas';

export interface Outpost {
  api: ApiClient;
  replicas: ReplicaPool;
  info: NotebookInfo;
  /** After a settings change: the main process answers with the new info. */
  setInfo(info: NotebookInfo): void;
}

const OutpostContext = createContext<Outpost | null>(null);

export function OutpostProvider(props: { api: ApiClient; replicas: ReplicaPool; info: NotebookInfo; children: ReactNode }) {
  const { api, replicas, children } = props;
  const [info, setInfo] = useState(props.info);
  useEffect(() => api.on('notebook.changed', setInfo), [api]);
  const value = useMemo(() => ({ api, replicas, info, setInfo }), [api, replicas, info]);
  return <OutpostContext.Provider value={value}>{children}</OutpostContext.Provider>;
}

export function useOutpost(): Outpost {
  const value = useContext(OutpostContext);
  if (!value) throw new Error('useOutpost outside <OutpostContext.Provider>');
  return value;
}

export function useConnectionStatus(api: ApiClient): ConnectionStatus {
  return useSyncExternalStore(
    (onChange) => api.onStatus(onChange),
    () => api.status,
  );
}

/** A replica of `docId` for as long as the calling component shows it (null until acquired). */
export function useReplica(docId: string): Replica | null {
  const { replicas } = useOutpost();
  const [replica, setReplica] = useState<Replica | null>(null);
  useEffect(() => {
    setReplica(replicas.acquire(docId));
    return () => replicas.release(docId);
  }, [replicas, docId]);
  return replica?.docId === docId ? replica : null;
}

/** Re-renders on every change of `doc`; `read` turns the doc into what the view shows. */
export function useDocValue<T>(doc: Y.Doc | null, read: (doc: Y.Doc) => T): T | null {
  const [value, setValue] = useState<T | null>(() => (doc ? read(doc) : null));
  useEffect(() => {
    if (!doc) {
      setValue(null);
      return;
    }
    setValue(read(doc));
    const onUpdate = () => setValue(read(doc));
    doc.on('update', onUpdate);
    return () => doc.off('update', onUpdate);
  }, [doc, read]);
  return value;
}

export function useSyncState(replica: Replica | null): SyncState {
  return useSyncExternalStore(
    (onChange) => replica?.provider.onState(onChange) ?? (() => {}),
    () => replica?.provider.syncState ?? 'syncing',
  );
}
