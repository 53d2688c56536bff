import { useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'outpost.theme';

function stored(): ThemeChoice {
  const value = localStorage.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

/** Applies the theme to <html data-theme>; "system" follows the OS setting through CSS. */
export function applyStoredTheme(): void {
  document.documentElement.dataset.theme = stored();
}

export function ThemeSwitch() {
  const [theme, setTheme] = useState<ThemeChoice>(stored);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    if (theme === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, theme);
  }, [theme]);
  return (
    <label className="theme-switch">
      <span>Theme</span>
      <select aria-label="Theme" value={theme} onChange={(e) => setTheme(e.target.value as ThemeChoice)}>
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}
