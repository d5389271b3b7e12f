//! The batch operations on a [`Tree`], as Ergo runs them: lookups, inserts, updates and
//! removals, with their rebalancing rotations; the prover and the verifier run the same code
//! and differ only in their [`Navigator`].

use super::{
    Effect, Key, Kind, Modified, Navigator, NodeRef, OpError, Operation, Span, Tree, NEGATIVE_INFINITY,
    POSITIVE_INFINITY,
};

impl Tree {
    /// Performs one operation; returns the key's value before it (or `None` if absent).
    /// On error the tree's root is unchanged, but nodes may have been appended.
    pub(crate) fn perform<N: Navigator>(&mut self, nav: &mut N, op: &Operation) -> Result<Option<Span>, OpError> {
        let key = op.key();
        if *key == NEGATIVE_INFINITY || *key == POSITIVE_INFINITY {
            return Err(OpError::ReservedKey);
        }
        if let Operation::Insert(_, v) | Operation::Update(_, v) | Operation::InsertOrUpdate(_, v) = op {
            if let Some(expected) = self.value_length {
                if v.len() != expected {
                    return Err(OpError::ValueLength {
                        expected,
                        found: v.len(),
                    });
                }
            }
        }
        let m = self.modify(nav, self.root, key, op, 0)?;
        if m.to_delete {
            let mut saved = None;
            let (root, decreased) = self.delete(nav, m.node, false, &mut saved, 0)?;
            if decreased {
                self.height = self.height.checked_sub(1).ok_or(OpError::Shape("height below zero"))?;
            }
            self.root = root;
        } else {
            if m.height_increased {
                self.height += 1;
            }
            self.root = m.node;
        }
        Ok(m.old_value)
    }

    fn modify<N: Navigator>(
        &mut self,
        nav: &mut N,
        r: NodeRef,
        key: &Key,
        op: &Operation,
        depth: usize,
    ) -> Result<Modified, OpError> {
        check_depth(depth)?;
        match r.kind() {
            Kind::LabelOnly => Err(OpError::MissingNode),
            Kind::Leaf => self.modify_leaf(nav, r, key, op),
            Kind::Internal => {
                let node = self.internals[r.index()].clone();
                let go_left = nav.next_direction_is_left(self, key, &node)?;
                let child = if go_left { node.left } else { node.right };
                let m = self.modify(nav, child, key, op, depth + 1)?;
                self.set_visited(r, true);
                if !m.changed {
                    return Ok(Modified {
                        node: r,
                        changed: false,
                        height_increased: false,
                        ..m
                    });
                }
                let (node_out, height_increased) = if go_left {
                    if m.height_increased && node.balance < 0 {
                        // left subtree two taller than right: rotate right
                        let child = self.internal(m.node)?.clone();
                        if child.balance < 0 {
                            let new_r = self.update_internal(r, child.right, node.right, 0)?;
                            (self.update_internal(m.node, child.left, new_r, 0)?, false)
                        } else {
                            (self.double_right_rotate(r, m.node, node.right)?, false)
                        }
                    } else {
                        let balance = if m.height_increased {
                            node.balance - 1
                        } else {
                            node.balance
                        };
                        let grew = m.height_increased && node.balance == 0;
                        (self.update_internal(r, m.node, node.right, balance)?, grew)
                    }
                } else if m.height_increased && node.balance > 0 {
                    // right subtree two taller than left: rotate left
                    let child = self.internal(m.node)?.clone();
                    if child.balance > 0 {
                        let new_r = self.update_internal(r, node.left, child.left, 0)?;
                        (self.update_internal(m.node, new_r, child.right, 0)?, false)
                    } else {
                        (self.double_left_rotate(r, node.left, m.node)?, false)
                    }
                } else {
                    let balance = if m.height_increased {
                        node.balance + 1
                    } else {
                        node.balance
                    };
                    let grew = m.height_increased && node.balance == 0;
                    (self.update_internal(r, node.left, m.node, balance)?, grew)
                };
                Ok(Modified {
                    node: node_out,
                    changed: true,
                    height_increased,
                    to_delete: false,
                    old_value: m.old_value,
                })
            }
        }
    }

    fn modify_leaf<N: Navigator>(
        &mut self,
        nav: &mut N,
        r: NodeRef,
        key: &Key,
        op: &Operation,
    ) -> Result<Modified, OpError> {
        let leaf = self.leaves[r.index()].clone();
        let found = nav.key_matches_leaf(key, &leaf)?;
        let unchanged = |old_value| Modified {
            node: r,
            changed: false,
            height_increased: false,
            to_delete: false,
            old_value,
        };
        if found {
            match op.effect(true)? {
                Effect::Nothing => {
                    self.set_visited(r, true);
                    Ok(unchanged(Some(leaf.value)))
                }
                Effect::Delete => {
                    self.set_visited(r, true);
                    Ok(Modified {
                        to_delete: true,
                        ..unchanged(Some(leaf.value))
                    })
                }
                Effect::Set(v) => {
                    let v = self.store_value(v)?;
                    let node = self.update_leaf(r, leaf.key, v, leaf.next)?;
                    self.set_visited(r, true);
                    Ok(Modified {
                        node,
                        changed: true,
                        ..unchanged(Some(leaf.value))
                    })
                }
            }
        } else {
            match op.effect(false)? {
                Effect::Nothing | Effect::Delete => {
                    self.set_visited(r, true);
                    Ok(unchanged(None))
                }
                Effect::Set(v) => {
                    self.set_visited(r, true);
                    // r keeps its place on the left; the new leaf goes right of it
                    let v = self.store_value(v)?;
                    let left = self.update_leaf(r, leaf.key, leaf.value, *key)?;
                    let right = self.push_leaf_span(*key, v, leaf.next)?;
                    let node = self.push_internal(*key, left, right, 0)?;
                    Ok(Modified {
                        node,
                        changed: true,
                        height_increased: true,
                        to_delete: false,
                        old_value: None,
                    })
                }
            }
        }
    }

    /// The balances of a double rotation's outer nodes, from the balance of its new root.
    fn double_rotation_balances(&self, new_root: NodeRef) -> Result<(i8, i8), OpError> {
        match self.balance(new_root)? {
            0 => Ok((0, 0)),
            -1 => Ok((0, 1)),
            1 => Ok((-1, 0)),
            _ => Err(OpError::Shape("balance outside -1..=1")),
        }
    }

    fn double_left_rotate(
        &mut self,
        current_root: NodeRef,
        left_child: NodeRef,
        right_child: NodeRef,
    ) -> Result<NodeRef, OpError> {
        let new_root = self.internal(right_child)?.left;
        let (left_balance, right_balance) = self.double_rotation_balances(new_root)?;
        let nr = self.internal(new_root)?.clone();
        let rc_right = self.internal(right_child)?.right;
        let new_left = self.update_internal(current_root, left_child, nr.left, left_balance)?;
        let new_right = self.update_internal(right_child, nr.right, rc_right, right_balance)?;
        self.update_internal(new_root, new_left, new_right, 0)
    }

    fn double_right_rotate(
        &mut self,
        current_root: NodeRef,
        left_child: NodeRef,
        right_child: NodeRef,
    ) -> Result<NodeRef, OpError> {
        let new_root = self.internal(left_child)?.right;
        let (left_balance, right_balance) = self.double_rotation_balances(new_root)?;
        let nr = self.internal(new_root)?.clone();
        let lc_left = self.internal(left_child)?.left;
        let new_right = self.update_internal(current_root, nr.right, right_child, right_balance)?;
        let new_left = self.update_internal(left_child, lc_left, nr.left, left_balance)?;
        self.update_internal(new_root, new_left, new_right, 0)
    }

    fn change_next_key_of_max_leaf(&mut self, r: NodeRef, next: Key, depth: usize) -> Result<NodeRef, OpError> {
        check_depth(depth)?;
        self.set_visited(r, true);
        match r.kind() {
            Kind::Leaf => {
                let leaf = self.leaves[r.index()].clone();
                self.update_leaf(r, leaf.key, leaf.value, next)
            }
            Kind::Internal => {
                let node = self.internals[r.index()].clone();
                let right = self.change_next_key_of_max_leaf(node.right, next, depth + 1)?;
                self.update_internal(r, node.left, right, node.balance)
            }
            Kind::LabelOnly => Err(OpError::MissingNode),
        }
    }

    fn change_key_and_value_of_min_leaf(
        &mut self,
        r: NodeRef,
        key: Key,
        value: Span,
        depth: usize,
    ) -> Result<NodeRef, OpError> {
        check_depth(depth)?;
        self.set_visited(r, true);
        match r.kind() {
            Kind::Leaf => {
                let next = self.leaves[r.index()].next;
                self.update_leaf(r, key, value, next)
            }
            Kind::Internal => {
                let node = self.internals[r.index()].clone();
                let left = self.change_key_and_value_of_min_leaf(node.left, key, value, depth + 1)?;
                self.update_internal(r, left, node.right, node.balance)
            }
            Kind::LabelOnly => Err(OpError::MissingNode),
        }
    }

    /// Deletes, in the subtree at `r`, the leaf found by the previous descent (or, with
    /// `delete_max`, the rightmost leaf, saved into `saved`), and rebalances. Returns the new
    /// subtree and whether its height decreased.
    fn delete<N: Navigator>(
        &mut self,
        nav: &mut N,
        r: NodeRef,
        delete_max: bool,
        saved: &mut Option<NodeRef>,
        depth: usize,
    ) -> Result<(NodeRef, bool), OpError> {
        check_depth(depth)?;
        self.set_visited(r, true);
        let direction = if delete_max { 1 } else { nav.replay_comparison()? };
        let node = self.internal(r)?.clone();
        if direction < 0 && self.is_leaf(node.left) {
            return Err(OpError::Shape("deletion path goes left into a leaf"));
        }

        if direction >= 0 && self.is_leaf(node.right) {
            // delete this node and its right leaf; the left subtree takes its place
            self.set_visited(node.right, true);
            if delete_max {
                *saved = Some(node.right);
                return Ok((node.left, true));
            }
            if direction != 0 {
                return Err(OpError::Shape("deletion path ends right of the deleted key"));
            }
            let next = self.leaf(node.right)?.next;
            return Ok((self.change_next_key_of_max_leaf(node.left, next, depth + 1)?, true));
        }
        if direction == 0 && self.is_leaf(node.left) {
            // delete this node and its left leaf; the leftmost leaf of the right subtree takes
            // over the deleted leaf's key and value
            self.set_visited(node.left, true);
            let left = self.leaf(node.left)?.clone();
            return Ok((
                self.change_key_and_value_of_min_leaf(node.right, left.key, left.value, depth + 1)?,
                true,
            ));
        }

        if direction <= 0 {
            // go left; with direction 0 the key sits in this node: delete the largest leaf of the
            // left subtree instead and move it here
            let (new_left, decreased) = self.delete(nav, node.left, direction == 0, saved, depth + 1)?;
            let new_root = if direction == 0 {
                let s = saved.take().ok_or(OpError::Shape("no leaf saved by deletion"))?;
                let s = self.leaf(s)?.clone();
                let renamed = self.update_internal_key(r, s.key)?;
                let rn = self.internal(renamed)?.clone();
                let right = self.change_key_and_value_of_min_leaf(rn.right, s.key, s.value, depth + 1)?;
                self.update_internal(renamed, rn.left, right, rn.balance)?
            } else {
                r
            };
            let root = self.internal(new_root)?.clone();
            if decreased && root.balance > 0 {
                // the right subtree is now two taller: rotate left
                self.set_visited(root.right, true);
                let rc = self.internal(root.right)?.clone();
                if rc.balance < 0 {
                    self.set_visited(rc.left, true);
                    Ok((self.double_left_rotate(new_root, new_left, root.right)?, true))
                } else {
                    let new_left_child = self.update_internal(new_root, new_left, rc.left, 1 - rc.balance)?;
                    let balance = rc.balance - 1;
                    Ok((
                        self.update_internal(root.right, new_left_child, rc.right, balance)?,
                        balance == 0,
                    ))
                }
            } else {
                let balance = if decreased { root.balance + 1 } else { root.balance };
                Ok((
                    self.update_internal(new_root, new_left, root.right, balance)?,
                    decreased && balance == 0,
                ))
            }
        } else {
            let (new_right, decreased) = self.delete(nav, node.right, delete_max, saved, depth + 1)?;
            if decreased && node.balance < 0 {
                // the left subtree is now two taller: rotate right
                self.set_visited(node.left, true);
                let lc = self.internal(node.left)?.clone();
                if lc.balance > 0 {
                    self.set_visited(lc.right, true);
                    Ok((self.double_right_rotate(r, node.left, new_right)?, true))
                } else {
                    let new_right_child = self.update_internal(r, lc.right, new_right, -lc.balance - 1)?;
                    let balance = 1 + lc.balance;
                    Ok((
                        self.update_internal(node.left, lc.left, new_right_child, balance)?,
                        balance == 0,
                    ))
                }
            } else {
                let balance = if decreased { node.balance - 1 } else { node.balance };
                Ok((
                    self.update_internal(r, node.left, new_right, balance)?,
                    decreased && balance == 0,
                ))
            }
        }
    }
}

/// No path of an AVL tree whose height fits the digest's byte (255) is longer; a forged proof
/// whose path is would otherwise recurse without bound.
const MAX_DEPTH: usize = 256;

fn check_depth(depth: usize) -> Result<(), OpError> {
    if depth > MAX_DEPTH {
        Err(OpError::Shape("a path deeper than any tree of height 255"))
    } else {
        Ok(())
    }
}
