import { describe, expect, it } from 'vitest';
import { UrlParams } from './urlParams';

// The URL search params the router would navigate to, as a map (order aside).
const at = (search: string) => Object.fromEntries(new URLSearchParams(search));

describe('UrlParams', () => {
  it('keeps the object a click wrote when the step write of an older render follows it (the flaky browser test)', () => {
    const url = new UrlParams('?step=7');
    // ← pressed: the step timer is armed by a render that saw ?step=7; then e0 is clicked, and the
    // router's render of that write has not landed when the timer fires 250 ms later
    const clicked = url.write({ object: 'pte:e0' });
    expect(at(clicked)).toEqual({ step: '7', object: 'pte:e0' });
    const stepped = url.write({ step: '6' });
    expect(at(stepped)).toEqual({ step: '6', object: 'pte:e0' });
    // the router then commits the two, in order
    url.rendered('?' + clicked);
    url.rendered('?' + stepped);
    expect(at(url.write({ object: null }))).toEqual({ step: '6' });
  });

  it('keeps the step a timer wrote when a click of an older render follows it', () => {
    const url = new UrlParams('step=7');
    url.write({ step: '6' });
    expect(at(url.write({ object: 'pte:e0' }))).toEqual({ step: '6', object: 'pte:e0' });
  });

  it('keeps a later write when the router commits an earlier one (again, or skipping some)', () => {
    const url = new UrlParams('');
    const a = url.write({ step: '1' });
    url.write({ object: 'pte:e0' });
    url.rendered(a);
    url.rendered('?' + a); // a render of the same URL for some other reason
    expect(at(url.write({ step: '2' }))).toEqual({ step: '2', object: 'pte:e0' });
    const d = url.write({ object: 'page:p1' });
    url.rendered(d); // the router skipped to the last
    expect(at(url.write({ step: '3' }))).toEqual({ step: '3', object: 'page:p1' });
  });

  it('lets a navigation win: the writes after it compose onto its URL', () => {
    const url = new UrlParams('?step=7');
    url.rendered('?' + url.write({ object: 'pte:e0' }));
    // a link (or back) to another step and object, which the router commits
    url.rendered('?step=12&object=page%3Ap1');
    expect(at(url.write({ step: '11' }))).toEqual({ step: '11', object: 'page:p1' });
  });

  it('lets a navigation win over a write of ours the router never committed', () => {
    const url = new UrlParams('?step=7');
    url.write({ object: 'pte:e0' });
    url.rendered('?step=12');
    expect(at(url.write({ step: '13' }))).toEqual({ step: '13' });
  });

  it('lets a navigation win back to a URL of ours the router skipped', () => {
    const url = new UrlParams('?step=7');
    const a = url.write({ object: 'pte:e0' });
    url.rendered(url.write({ object: 'page:p1' })); // the router skipped a
    url.rendered(a); // back, or a link, to a's URL
    expect(at(url.write({ step: '8' }))).toEqual({ step: '8', object: 'pte:e0' });
  });

  it('reads a search with or without its ?, and spells a value as URLSearchParams does', () => {
    const url = new UrlParams('?step=7&object=pte:e0');
    expect(url.write({})).toBe('step=7&object=pte%3Ae0');
    url.rendered('?step=7&object=pte%3Ae0'); // the same URL, spelt otherwise: not a navigation
    expect(url.write({ step: null })).toBe('object=pte%3Ae0');
  });
});
