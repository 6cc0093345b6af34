/**
 * GitHub's list pagination for the STAND-IN: `per_page` (default 30, at most 100) and `page`, with
 * a `Link` header of `prev`, `next`, `last` and `first` (docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api).
 */

/**
 * One page of `all` and its Link header. The links repeat the request's other query parameters;
 * `linkPath` is the path they name (GitHub names some lists by the repository's numeric ID).
 * @param linkPath default: the request's own path
 */
export function paged(url: URL, all: readonly unknown[], linkPath = url.pathname): [unknown[], Record<string, string>] {
  const perPage = Math.min(100, Number(url.searchParams.get("per_page") ?? 30));
  const page = Math.max(1, Number(url.searchParams.get("page") ?? 1));
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const link = (p: number, rel: string): string => {
    const u = new URL(linkPath, url);
    for (const [k, v] of url.searchParams) if (k !== "page") u.searchParams.set(k, v);
    u.searchParams.set("page", String(p));
    return `<${u}>; rel="${rel}"`;
  };
  const links = [page > 1 ? link(page - 1, "prev") : "", page < last ? link(page + 1, "next") : "", page < last ? link(last, "last") : "", page > 1 ? link(1, "first") : ""].filter(Boolean);
  return [all.slice((page - 1) * perPage, page * perPage), links.length ? { link: links.join(", ") } : {}];
}
