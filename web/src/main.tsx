// The app's entry: its sign-in configuration and languages, then the pages.
import '@digdir/designsystemet-css/theme.css';
import '@digdir/designsystemet-css';
import './app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loadConfig } from './config';
import { startI18n } from './i18n';

const root = createRoot(document.getElementById('root')!);
const [config] = await Promise.all([loadConfig(), startI18n()]);
root.render(
  <StrictMode>
    <App config={config} />
  </StrictMode>,
);
