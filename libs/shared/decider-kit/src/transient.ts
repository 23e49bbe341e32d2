import type BTree from 'sorted-btree';

/** Trees created during the running batch; undefined outside one. */
let batch: WeakSet<object> | undefined;

/**
 * Runs `work` (a fold) as one batch: a tree copied inside the batch is edited in place from then
 * on, because no state outside the batch can see it. Outside a batch every edit copies, so states
 * handed out earlier never change. Folding a million events is then a million in-place edits
 * instead of a million copies.
 */
export function inBatch<T>(work: () => T): T {
  const outer = batch;
  batch = new WeakSet();
  try {
    return work();
  } finally {
    batch = outer;
  }
}

/** The tree to edit: an O(1) copy-on-write clone, unless this batch already owns the tree. */
export function editable<K, V>(tree: BTree<K, V>): BTree<K, V> {
  if (batch?.has(tree)) return tree;
  const copy = tree.clone();
  batch?.add(copy);
  return copy;
}

/** True when the running batch created `value`, so it may be edited in place. */
export const ownedByBatch = (value: object): boolean => batch?.has(value) ?? false;

/** Marks a value created during the running batch as the batch's own (a no-op outside a batch). */
export function adopt(value: object): void {
  batch?.add(value);
}

/** The map to edit: a copy, unless the running batch made this one (then it is edited in place). */
export function editableMap<K, V>(map: ReadonlyMap<K, V>): Map<K, V> {
  if (batch?.has(map)) return map as Map<K, V>;
  const copy = new Map(map);
  batch?.add(copy);
  return copy;
}
