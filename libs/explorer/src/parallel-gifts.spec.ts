import { describe, expect, it } from 'vitest';
import { GiftBoard } from './parallel-gifts.js';
import { Ring } from './parallel-ring.js';

// The balance within a level of the parallel search (issue 15): the board's asks and claims, and
// gifts in the rings. The protocol's safety rests on these: one giver per ask, an ask withdrawn
// only while no giver has claimed it, and a gift read in its place among the batches, before the
// giver's end of the level.

describe('GiftBoard', () => {
  it('an ask is claimed by one giver only; the asker then cannot withdraw it, and may ask again once it has the gift', () => {
    const board = new GiftBoard(GiftBoard.buffer(3), 3);
    expect(board.hasAsked(0)).toBe(false);
    // no open ask: nothing to claim
    expect(board.claim(0, 1)).toBe(false);
    board.ask(0);
    expect(board.isAsking(0)).toBe(true);
    expect(board.giverOf(0)).toBe(-1);
    expect(board.claim(0, 2)).toBe(true);
    expect(board.claim(0, 1)).toBe(false);
    expect(board.giverOf(0)).toBe(2);
    expect(board.isAsking(0)).toBe(false);
    expect(board.hasAsked(0)).toBe(true);
    expect(board.withdraw(0)).toBe(false);
    board.received(0);
    expect(board.hasAsked(0)).toBe(false);
    expect(board.giverOf(0)).toBe(-1);
  });

  it('an open ask no giver claimed is withdrawn, and no giver can claim it after', () => {
    const board = new GiftBoard(GiftBoard.buffer(2), 2);
    board.ask(1);
    expect(board.withdraw(1)).toBe(true);
    expect(board.hasAsked(1)).toBe(false);
    expect(board.claim(1, 0)).toBe(false);
  });

  it('who may give: none until the level opens, then each until it says it gives no more; a worker is not its own giver', () => {
    const board = new GiftBoard(GiftBoard.buffer(3), 3);
    expect([0, 1, 2].map((i) => board.othersGiving(i))).toEqual([false, false, false]);
    board.openLevel();
    expect([0, 1, 2].map((i) => board.othersGiving(i))).toEqual([true, true, true]);
    board.stopGiving(1);
    board.stopGiving(2);
    expect([0, 1, 2].map((i) => board.othersGiving(i))).toEqual([false, true, true]);
    board.stopGiving(0);
    expect([0, 1, 2].map((i) => board.othersGiving(i))).toEqual([false, false, false]);
  });

  it('a waiting asker wakes when a giver claims its ask, and is not made to wait when its ask is no longer open', async () => {
    const board = new GiftBoard(GiftBoard.buffer(2), 2);
    expect(board.changed(0, 10_000)).toBeNull();
    board.ask(0);
    const wait = board.changed(0, 10_000)!;
    expect(wait).not.toBeNull();
    const t = performance.now();
    board.claim(0, 1);
    expect(await wait).toBe('ok');
    expect(performance.now() - t).toBeLessThan(5_000);
  });

  it('giver 0 is a giver like any other', () => {
    const board = new GiftBoard(GiftBoard.buffer(2), 2);
    board.ask(1);
    expect(board.claim(1, 0)).toBe(true);
    expect(board.giverOf(1)).toBe(0);
    expect(board.isAsking(1)).toBe(false);
  });

  it('a waiting asker wakes when a giver stops giving, whichever asker and giver', async () => {
    for (const [asker, giver] of [
      [0, 1],
      [2, 0],
    ]) {
      const board = new GiftBoard(GiftBoard.buffer(3), 3);
      board.openLevel();
      board.ask(asker);
      const wait = board.changed(asker, 10_000)!;
      const t = performance.now();
      board.stopGiving(giver);
      expect(await wait).toBe('ok');
      expect(performance.now() - t).toBeLessThan(5_000);
    }
  });

  it('a claim that fails wakes no one: a waiter on an ask withdrawn meanwhile sleeps its time', async () => {
    const board = new GiftBoard(GiftBoard.buffer(2), 2);
    board.ask(0);
    const wait = board.changed(0, 50)!;
    expect(board.withdraw(0)).toBe(true);
    expect(board.claim(0, 1)).toBe(false);
    expect(await wait).toBe('timed-out');
  });
});

describe('gifts in a ring', () => {
  it('a gift is handed to takeGift with its words, between the batches in the order written, before the end of the level', () => {
    const ring = new Ring(Ring.buffers(64));
    const seen: string[] = [];
    const words = (d: Int32Array, n: number) => [...d.subarray(0, n)].join(',');
    expect(ring.tryWrite(Int32Array.of(1, 2, 3), 3)).toBe(true);
    expect(ring.tryGive(Int32Array.of(7, 8, 9, 10, 99), 4)).toBe(true);
    expect(ring.tryWrite(Int32Array.of(4), 1)).toBe(true);
    expect(ring.tryEnd()).toBe(true);
    expect(ring.tryGive(Int32Array.of(5), 1)).toBe(true);
    const ended = ring.read(
      (d, n) => seen.push(`batch ${words(d, n)}`),
      (d, n) => seen.push(`gift ${words(d, n)}`),
    );
    expect(ended).toBe(true);
    expect(seen).toEqual(['batch 1,2,3', 'gift 7,8,9,10', 'batch 4']);
    // what follows the end is the next level's
    expect(
      ring.read(
        (d, n) => seen.push(`batch ${words(d, n)}`),
        (d, n) => seen.push(`gift ${words(d, n)}`),
      ),
    ).toBe(false);
    expect(seen.at(-1)).toBe('gift 5');
  });

  it('a gift that does not fit waits, and one that meets the ring’s end wraps to its start whole', () => {
    const ring = new Ring(Ring.buffers(16));
    const got: number[][] = [];
    const take = (d: Int32Array, n: number) => got.push([...d.subarray(0, n)]);
    expect(ring.tryWrite(new Int32Array(9).fill(1), 9)).toBe(true);
    // 10 words used: a gift of 6 (7 with its header) does not fit
    expect(ring.tryGive(new Int32Array(6).fill(2), 6)).toBe(false);
    ring.read(take, take);
    // now it fits, but not before the ring's end (6 words left): it wraps
    expect(ring.tryGive(Int32Array.of(2, 3, 4, 5, 6, 7), 6)).toBe(true);
    ring.read(take, take);
    expect(got).toEqual([new Array(9).fill(1), [2, 3, 4, 5, 6, 7]]);
  });
});
