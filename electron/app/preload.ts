import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../shared/api/ipc-channels';

/**
 * The whole bridge between a sandboxed renderer and the main process: one function to make a
 * contract call and one to receive events. Names and payloads are validated in main.
 */
const bridge = {
  call: (name: string, request: unknown): Promise<unknown> => ipcRenderer.invoke(IPC_CALL_CHANNEL, name, request),
  onEvent: (listener: (event: string, payload: unknown) => void): (() => void) => {
    const handler = (_: unknown, event: string, payload: unknown) => listener(event, payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => ipcRenderer.off(IPC_EVENT_CHANNEL, handler);
  },
};

contextBridge.exposeInMainWorld('outpostBridge', bridge);
