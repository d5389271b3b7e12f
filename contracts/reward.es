{
  // The reward box of a hardened epoch (share_state.es): spent only together with the pool's
  // share-state box as INPUTS(0) — the hardened share-state script holding the same pool token —
  // whose contract then decides everything, including that OUTPUTS(1) keeps this script.
  val state = INPUTS(0)
  sigmaProp(
    blake2b256(state.propositionBytes) == _shareStateHash &&
    state.tokens(0)._1 == SELF.tokens(0)._1
  )
}
