// i18next with the app's two languages, Swedish first. The choice is
// remembered in localStorage (a preference, never anything about a person).
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { sv } from './sv';

export const LANGUAGES = ['sv', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'avhoppare.language';

function rememberedLanguage(): Language {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  return stored === 'en' ? 'en' : 'sv';
}

export async function startI18n(): Promise<void> {
  const lng = rememberedLanguage();
  document.documentElement.lang = lng;
  await i18next.use(initReactI18next).init({
    lng,
    fallbackLng: 'sv',
    resources: { sv: { translation: sv }, en: { translation: en } },
    // React escapes text itself.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
}

export async function chooseLanguage(language: Language): Promise<void> {
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
  await i18next.changeLanguage(language);
}
