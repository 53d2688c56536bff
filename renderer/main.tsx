import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiClient } from './api/client';
import { createTransport } from './api/transport';
import { App } from './app/App';
import { type Outpost, OutpostProvider } from './app/outpost-context';
import { applyStoredTheme } from './app/theme';
import { ReplicaPool } from './sync/replicas';
import './styles.css';

applyStoredTheme();

async function boot(): Promise<void> {
  const root = createRoot(document.getElementById('root') as HTMLElement);
  const api = new ApiClient(createTransport());
  let info: Outpost['info'];
  try {
    info = await api.call('notebook.info', {});
  } catch (error) {
    root.render(
      <main className="fatal" role="alert">
        <h1>Outpost cannot reach its notebook</h1>
        <p>{(error as Error).message}</p>
        <p>Start it again (npm start, or npm run web for browser mode), then reload this page.</p>
      </main>,
    );
    return;
  }
  const replicas = new ReplicaPool(api, `outpost/${info.notebookId}`);
  document.title = `Outpost — ${info.device.name}`;
  root.render(
    <StrictMode>
      <OutpostProvider api={api} replicas={replicas} info={info}>
        <App />
      </OutpostProvider>
    </StrictMode>,
  );
}

void boot();
