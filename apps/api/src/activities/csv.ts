/** FORMULA_START matches what spreadsheets read as the start of a formula or a control character (OWASP). */
const FORMULA_START = /^[=+\-@\t\r\n]/;

/**
 * csvCell renders one value as an RFC 4180 field. A text that a spreadsheet would run as a formula
 * (OWASP CSV injection: = + - @ tab CR) gets a leading apostrophe, which spreadsheets show as text;
 * then a field with a comma, quote or line break is quoted, its quotes doubled.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** csvRow renders one record, CRLF-terminated as RFC 4180 asks. */
export function csvRow(values: ReadonlyArray<string | number | null | undefined>): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
