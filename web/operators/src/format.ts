/** How long ago, compactly: 5 min, 3 h, 2 d 4 h. */
export function since(iso: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export const dateTime = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

export const grams = (g: number) => `${g.toFixed(2)} g`;

export const money = (amount: number, currency: string) =>
  new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(amount);

export const ALLOY_NAMES: Record<string, string> = {
  au375y: '9K yellow',
  au375w: '9K white',
  au585y: '14K yellow',
  au585w: '14K white',
  au585r: '14K rose',
  au750y: '18K yellow',
  au750w: '18K white',
  au750r: '18K rose',
  ag925: 'Sterling 925',
  pt950: 'Platinum 950',
  pd950: 'Palladium 950',
  brass: 'Brass',
  bronze: 'Bronze',
};
