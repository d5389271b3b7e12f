{
  // The reward box of a hardened epoch (share_state.es): spent only together with its epoch's
  // share-state box as INPUTS(0) — the hardened share-state script holding this box's epoch
  // token (SELF.tokens(0)) as its second token — whose contract then decides everything,
  // including that OUTPUTS(1) keeps this script. The epoch token exists in two units, this
  // one and the state box's, so no other box can stand in for the state.
  val state = INPUTS(0)
  sigmaProp(
    blake2b256(state.propositionBytes) == _shareStateHash &&
    state.tokens(1)._1 == SELF.tokens(0)._1
  )
}
