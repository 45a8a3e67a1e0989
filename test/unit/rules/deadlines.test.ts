// Fast answers (002_: the window of motivation is short): a proposal is to be
// answered within the agreement's number of Swedish working days. Weekends,
// public holidays and midsummer, Christmas and New Year's Eve are not working
// days. Every expected date below is counted by hand in its comment.
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  answerDueOn,
  ASSIGNMENT_STATUSES,
  isOverdue,
  isWorkingDay,
} from '../../../subgraphs/agreement/rules';
import { TERM_2023 } from './fixtures';

describe('isWorkingDay', () => {
  it('is Monday to Friday', () => {
    expect(isWorkingDay('2023-03-03')).toBe(true); // Friday
    expect(isWorkingDay('2023-03-04')).toBe(false); // Saturday
    expect(isWorkingDay('2023-03-05')).toBe(false); // Sunday
    expect(isWorkingDay('2023-03-06')).toBe(true); // Monday
  });

  it('is not a public holiday', () => {
    expect(isWorkingDay('2023-04-07')).toBe(false); // långfredagen
    expect(isWorkingDay('2023-04-10')).toBe(false); // annandag påsk
    expect(isWorkingDay('2023-05-01')).toBe(false); // första maj
    expect(isWorkingDay('2023-05-18')).toBe(false); // Kristi himmelsfärdsdag
    expect(isWorkingDay('2023-06-06')).toBe(false); // nationaldagen, a Tuesday
    expect(isWorkingDay('2024-01-01')).toBe(false); // nyårsdagen
    expect(isWorkingDay('2025-01-06')).toBe(false); // trettondedag jul
  });

  it('is not midsummer, Christmas or New Year’s Eve, which count as Sundays', () => {
    expect(isWorkingDay('2024-06-21')).toBe(false); // midsommarafton, a Friday
    expect(isWorkingDay('2024-12-24')).toBe(false); // julafton, a Tuesday
    expect(isWorkingDay('2024-12-31')).toBe(false); // nyårsafton, a Tuesday
  });

  it('is the other eves and the days that are no longer holidays', () => {
    expect(isWorkingDay('2023-04-06')).toBe(true); // skärtorsdagen
    expect(isWorkingDay('2023-01-05')).toBe(true); // trettondagsafton
    expect(isWorkingDay('2023-11-03')).toBe(true); // allhelgonaafton, a Friday
    expect(isWorkingDay('2023-05-29')).toBe(true); // annandag pingst, not a holiday since 2005
    expect(isWorkingDay('2024-12-27')).toBe(true); // between Christmas and New Year
  });

  it('refuses what is not a date', () => {
    expect(() => isWorkingDay('2023-02-30')).toThrow(RangeError);
    expect(() => isWorkingDay('1 March')).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  it('skips a weekend', () => {
    // Friday 3 March + 1: Monday 6 March.
    expect(addWorkingDays('2023-03-03', 1)).toBe('2023-03-06');
    // + 5: Mon 6 (1), Tue 7 (2), Wed 8 (3), Thu 9 (4), Fri 10 (5).
    expect(addWorkingDays('2023-03-03', 5)).toBe('2023-03-10');
    // From a Saturday the count starts on Monday.
    expect(addWorkingDays('2023-03-04', 1)).toBe('2023-03-06');
  });

  it('skips Easter', () => {
    // Skärtorsdagen 6 April 2023 + 5: långfredagen 7, the weekend and annandag påsk 10 are
    // skipped: Tue 11 (1), Wed 12 (2), Thu 13 (3), Fri 14 (4), Mon 17 (5).
    expect(addWorkingDays('2023-04-06', 5)).toBe('2023-04-17');
    // Easter 2024 fell in March: Thursday 28 March + 1 is Tuesday 2 April.
    expect(addWorkingDays('2024-03-28', 1)).toBe('2024-04-02');
  });

  it('skips midsummer', () => {
    // Thursday 20 June 2024 + 1: midsommarafton 21 and midsommardagen 22 skipped, Monday 24.
    expect(addWorkingDays('2024-06-20', 1)).toBe('2024-06-24');
    // Thursday 22 June 2023 + 1: Friday 23 is midsommarafton, Monday 26.
    expect(addWorkingDays('2023-06-22', 1)).toBe('2023-06-26');
  });

  it('skips Christmas and New Year, into the next year', () => {
    // Monday 23 December 2024 + 5: 24, 25, 26 closed; Fri 27 (1); weekend; Mon 30 (2);
    // 31 and 1 January closed; Thu 2 (3), Fri 3 (4); weekend; Mon 6 trettondedag jul; Tue 7 (5).
    expect(addWorkingDays('2024-12-23', 5)).toBe('2025-01-07');
  });

  it('counts no day at all as the day itself, and refuses a count that is not one', () => {
    expect(addWorkingDays('2023-03-04', 0)).toBe('2023-03-04');
    expect(() => addWorkingDays('2023-03-03', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2023-03-03', 1.5)).toThrow(RangeError);
  });
});

describe('answerDueOn', () => {
  it('is the agreement’s number of working days after the proposal', () => {
    // TERM_2023 gives five working days.
    expect(TERM_2023.answerDeadlineWorkingDays).toBe(5);
    expect(answerDueOn(TERM_2023, '2023-04-06')).toBe('2023-04-17');
  });

  it('follows the agreement record', () => {
    // Thursday 21 December 2023 + 3: Fri 22 (1); weekend; 25 and 26 closed; Wed 27 (2), Thu 28 (3).
    expect(answerDueOn({ ...TERM_2023, answerDeadlineWorkingDays: 3 }, '2023-12-21')).toBe('2023-12-28');
  });
});

describe('isOverdue', () => {
  it('is a proposal still unanswered after the day it was due', () => {
    expect(isOverdue('PROPOSED', '2023-04-17', '2023-04-16')).toBe(false);
    expect(isOverdue('PROPOSED', '2023-04-17', '2023-04-17')).toBe(false);
    expect(isOverdue('PROPOSED', '2023-04-17', '2023-04-18')).toBe(true);
  });

  it('is never an answered or ended assignment, nor one without a deadline', () => {
    for (const status of ASSIGNMENT_STATUSES.filter((s) => s !== 'PROPOSED')) {
      expect(isOverdue(status, '2023-04-17', '2023-05-01'), status).toBe(false);
    }
    expect(isOverdue('PROPOSED', null, '2023-05-01')).toBe(false);
  });
});
