import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useStore } from './store/store';
import App from './ui/App';
import './ui/styles.css';

// For the UI benchmarks and tests (like window.__meshcraftEditor and __meshcraftFlow): the app's store.
(window as unknown as { __meshcraftStore?: typeof useStore }).__meshcraftStore = useStore;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
