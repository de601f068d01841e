import { describe, expect, it } from 'vitest';
import { BaseUrl, DateInput, DurationInput, ExpiryDateInput, isLoopbackHost, Name, Passphrase, parseDateInput, RotationInput, SecretValue } from './schemas';

describe('parseDateInput', () => {
  it.each([
    ['2027-03-01', Date.UTC(2027, 2, 1)],
    ['2028-02-29', Date.UTC(2028, 1, 29)],
    ['2000-02-29', Date.UTC(2000, 1, 29)],
    ['2027-12-31', Date.UTC(2027, 11, 31)],
    ['2027-03-01T12:00:00Z', Date.UTC(2027, 2, 1, 12)],
    ['2027-03-01T12:00Z', Date.UTC(2027, 2, 1, 12)],
    ['2027-03-01T12:00:00.250Z', Date.UTC(2027, 2, 1, 12, 0, 0, 250)],
    ['2027-03-01T00:30:00+02:00', Date.UTC(2027, 1, 28, 22, 30)],
    ['2027-02-28T23:00:00-05:00', Date.UTC(2027, 2, 1, 4)],
  ])('%s → %d', (text, ms) => {
    expect(parseDateInput(text)).toBe(ms);
  });

  it.each([
    ['a day past the end of February', '2027-02-31'],
    ['February 29 of a common year', '2027-02-29'],
    ['February 29 of a century year', '2100-02-29'],
    ['April 31', '2027-04-31'],
    ['month 13', '2027-13-01'],
    ['month 0', '2027-00-10'],
    ['day 0', '2027-03-00'],
    ['a rolled-over day in a timestamp', '2027-02-31T12:00:00Z'],
    ['April 31 in a timestamp with an offset', '2027-04-31T00:00:00+02:00'],
    ['minute 60', '2027-03-01T23:60:00Z'],
    ['a timestamp without a zone', '2027-03-01T12:00:00'],
    ['a date without padding', '2027-3-1'],
    ['a European date', '01/03/2027'],
    ['words', 'next friday'],
    ['nothing', ''],
  ])('refuses %s (%s)', (_what, text) => {
    expect(parseDateInput(text)).toBeNull();
  });

  it('DateInput trims, and fails with a message that shows the expected form', () => {
    expect(DateInput.parse(' 2027-03-01 ')).toBe(Date.UTC(2027, 2, 1));
    const r = DateInput.safeParse('2027-02-31');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/2027-03-01/);
  });
});

describe('DurationInput and RotationInput', () => {
  it('reads durations up to 100 years, as an amount and a unit (the instant depends on the zone)', () => {
    expect(DurationInput.parse('30d')).toEqual({ amount: 30, unit: 'd' });
    expect(DurationInput.parse('100y')).toEqual({ amount: 100, unit: 'y' });
    expect(DurationInput.parse('6mo')).toEqual({ amount: 6, unit: 'mo' });
    expect(DurationInput.parse('45min')).toEqual({ amount: 45, unit: 'min' });
    expect(DurationInput.safeParse('101y').success).toBe(false);
    expect(DurationInput.safeParse('36501d').success).toBe(false);
    expect(DurationInput.safeParse('0d').success).toBe(false);
    expect(DurationInput.safeParse('30 days').success).toBe(false);
  });

  it('refuses a bare m, naming both min and mo; other errors list every unit', () => {
    const r = DurationInput.safeParse('6m');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/6min.*minutes.*6mo.*months/);
    const bad = DurationInput.safeParse('6x');
    expect(bad.error?.issues[0]?.message).toMatch(/min \(minutes\), h \(hours\), d \(days\), w \(weeks\), mo \(months\), y \(years\)/);
  });
});

describe('ExpiryDateInput', () => {
  it('keeps a date-only expiry as a calendar date, and a timestamp as an instant', () => {
    expect(ExpiryDateInput.parse(' 2027-03-01 ')).toEqual({ date: '2027-03-01' });
    expect(ExpiryDateInput.parse('2028-02-29')).toEqual({ date: '2028-02-29' });
    expect(ExpiryDateInput.parse('2027-03-01T12:00:00Z')).toEqual({ at: Date.UTC(2027, 2, 1, 12) });
    for (const bad of ['2027-02-29', '2027-03-01T12:00:00', 'tomorrow']) expect(ExpiryDateInput.safeParse(bad).success, bad).toBe(false);
  });

  it('reads rotation periods in whole days, up to 10 years', () => {
    expect(RotationInput.parse('90d')).toBe(90);
    expect(RotationInput.parse('12w')).toBe(84);
    expect(RotationInput.parse('3650d')).toBe(3650);
    expect(RotationInput.safeParse('3651d').success).toBe(false);
    expect(RotationInput.safeParse('36h').success).toBe(false);
    expect(RotationInput.safeParse('90').success).toBe(false);
  });
});

describe('BaseUrl and loopback hosts', () => {
  it('loopback is localhost, 127.0.0.0/8 and [::1], nothing that merely looks like it', () => {
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['localhost.example.com', '127.0.0.1.nip.io', '128.0.0.1', '0.0.0.0', 'example.com', '10.0.0.1']) expect(isLoopbackHost(h), h).toBe(false);
  });

  it('plain http is refused for hosts that only look local', () => {
    expect(BaseUrl.safeParse('http://127.0.0.1.nip.io').success).toBe(false);
    expect(BaseUrl.safeParse('http://localhost.example.com').success).toBe(false);
    expect(BaseUrl.parse('http://127.0.0.2:9/x/')).toBe('http://127.0.0.2:9/x');
  });
});

describe('text rules', () => {
  it('Name normalizes to NFC and trims', () => {
    expect(Name.parse('  Cafe\u0301  ')).toBe('Caf\u00e9');
  });

  it('SecretValue is one line of printable ASCII', () => {
    expect(SecretValue.parse(' abc~!#$%&\'*+-./:;<=>?@[]^_`{|}\n')).toBe("abc~!#$%&'*+-./:;<=>?@[]^_`{|}");
    for (const bad of ['a b', 'a\u00a0b', 'a\u007fb', 'é']) expect(SecretValue.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });

  it('Passphrase: 10 to 1024 characters', () => {
    expect(Passphrase.safeParse('123456789').success).toBe(false);
    expect(Passphrase.safeParse('1234567890').success).toBe(true);
    expect(Passphrase.safeParse('x'.repeat(1024)).success).toBe(true);
    expect(Passphrase.safeParse('x'.repeat(1025)).success).toBe(false);
  });
});
