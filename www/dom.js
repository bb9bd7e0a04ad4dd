// The two helpers every page module uses: elements by their data-role, and numbers as shown.

/** The element of `root` with `data-role="role"` (the page's elements are found by role, not by
 * id or class, so that styling and behaviour can change apart). */
export const $ = (root, role) => root.querySelector(`[data-role="${role}"]`);

const NUMBER = new Intl.NumberFormat("en-US");
/** A number with thousands separators (`12,345`). */
export const fmt = (n) => NUMBER.format(n);
