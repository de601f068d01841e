// Global styles first: component styles, imported by their components, come after and win ties.
import './app/styles/tokens.css';
import './app/styles/base.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { initTheme } from './lib/appearance';

// The remembered theme before the first paint (Settings → Theme; the settings themselves follow).
initTheme();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
