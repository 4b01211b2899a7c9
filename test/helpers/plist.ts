/** plist 5 is ESM-only; tests load it the way the product does. */
export function loadPlist() {
  return import('plist');
}
