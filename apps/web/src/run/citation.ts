// A step cites the kernel function, file and version it models. The link is to that file at that
// version on a public source browser; it is only a link target, the page never fetches it.

export interface Citation {
  fn: string;
  file: string;
  version: string;
}

export function sourceUrl(c: Citation): string {
  const version = /^v\d/.test(c.version) ? c.version : `v${c.version}`;
  const file = c.file.split('/').map(encodeURIComponent).join('/');
  return `https://elixir.bootlin.com/linux/${encodeURIComponent(version)}/source/${file}`;
}
