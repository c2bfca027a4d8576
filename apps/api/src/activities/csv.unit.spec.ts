import { csvCell, csvRow } from './csv';

describe('CSV cells (RFC 4180, OWASP CSV injection)', () => {
  it.each([
    ['plain text stays as it is', 'alice', 'alice'],
    ['numbers are written bare', 42, '42'],
    ['null is an empty field', null, ''],
    ['a comma quotes the field', 'a,b', '"a,b"'],
    ['quotes are doubled inside quotes', 'say "hi"', '"say ""hi"""'],
    ['a line break quotes the field', 'two\nlines', '"two\nlines"'],
    ['= formulas are neutralised', '=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['+ formulas are neutralised', '+1+1', "'+1+1"],
    ['- formulas are neutralised', '-2+3', "'-2+3"],
    ['@ formulas are neutralised', '@SUM(A1)', "'@SUM(A1)"],
    ['a leading tab is neutralised', '\t=1', "'\t=1"],
    ['a leading CR is neutralised and quoted', '\r=1', `"'\r=1"`],
    ['DDE payloads are neutralised and quoted', "=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['a formula after a comma stays inside one quoted text field', 'x,=1+1', '"x,=1+1"'],
    ['an = later in the text is harmless', 'a=b', 'a=b'],
  ])('%s', (_label, input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('ends records with CRLF', () => {
    expect(csvRow([1, 'a', null, '=x'])).toBe("1,a,,'=x\r\n");
  });
});
