{
  // Design 2's state box, hardened. The same registers, tokens, context variables and proofs
  // as the deployed set (../deployed/balance_state.es); in addition the next state box is pinned
  // here, once for all four commands:
  //   - SELF is INPUTS(0), the box every command contract reads as the state,
  //   - OUTPUTS(0) keeps this script: the deployed set lets the operator move the state (and
  //     the ERG owed to every miner) to any script at all,
  //   - OUTPUTS(0) keeps exactly these tokens, the pool NFT first: without it the commands'
  //     `INPUTS(0).tokens(0)._1 == poolNFT` stops the pool forever, or a copy goes on with
  //     another NFT,
  //   - the tree's flags, key length and value length are pinned by each hardened command,
  //     which compares OUTPUTS(0).R4 with the tree its proof yields as a whole.
  // The operator's signature is still required: a command box says what may change, the
  // operator decides when.
  val next        = OUTPUTS(0)
  val commandHash = blake2b256(INPUTS(1).propositionBytes)
  sigmaProp(allOf(Coll(
    SELF.id == INPUTS(0).id,
    next.R4[AvlTree].isDefined,
    _commandHashes.exists{ (h: Coll[Byte]) => h == commandHash },
    next.propositionBytes == SELF.propositionBytes,
    next.tokens == SELF.tokens
  ))) && _operator
}
