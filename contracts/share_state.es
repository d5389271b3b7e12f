{
  // Design 1 share state, hardened. The same context variables, proofs and payments as the
  // seed's draft (share_state_draft.es); in addition it pins what the draft leaves open:
  //   - INPUTS(1) is this epoch's reward box: it holds the epoch's own token (SELF.tokens(1)),
  //     minted in two units by the transaction that opened the epoch, one here and one in the
  //     reward box (the miner's audit checks the mint). A token shared by several epochs (the
  //     pool's, SELF.tokens(0)) would let one epoch's boxes spend another's reward,
  //   - OUTPUTS(0) is the next share state: same script, value and tokens (both move on),
  //     R4 = the updated tree itself (digest, flags, key and value lengths), R5 = maxScore,
  //     R6 = the deadline,
  //   - OUTPUTS(1) is the next reward box: same script and tokens, R4 = initialValue,
  //   - each payment is computed from the miner's score in the tree, which must not change,
  //   - a key appears once in a payout, and a payout pays at least one miner (an empty batch
  //     would move the state box for nothing and lengthen every miner's walk).
  //
  // Closing. The operator may spend the epoch's boxes freely from the deadline height (R6) on,
  // and not before: until then only payouts spend them, and anyone may make a payout. Nothing
  // the operator writes about the tree can decide it: the contract never sees the whole tree,
  // so a count of the miners unpaid (R6 of an earlier version) is only the operator's word — a
  // count of 0 let them take the reward at once, a count near Int's minimum made every payout
  // after a few throw. Nor "once the reward box is nearly empty": miners owed less than a box
  // may hold can never be paid, so their part stays in the box and no fixed floor tells dust
  // from a debt. A height is the one thing the contract can check that the operator cannot
  // bend. How long the window is the operator chooses when opening; the miner's audit
  // (sharestate's posted::audit) shows it and raises an alarm for one too short to claim in.
  val shareState = SELF.R4[AvlTree].get
  val maxScore   = SELF.R5[Int].get
  val deadline   = SELF.R6[Int].get
  val epochToken = SELF.tokens(1)._1

  if (HEIGHT >= deadline) {
    _operator
  } else {
    val rewardBox    = INPUTS(1)
    val initialValue = rewardBox.R4[Long].get

    val stateUpdates = getVar[Coll[(Coll[Byte], Coll[Byte])]](0).get
    val proof        = getVar[Coll[Byte]](1).get
    val keys         = stateUpdates.map{ (kv: (Coll[Byte], Coll[Byte])) => kv._1 }

    val paymentBoxes = OUTPUTS.slice(2, keys.size + 2)
    val totalPaid    = paymentBoxes.fold(0L, { (z: Long, box: Box) => z + box.value })

    val oldScores      = shareState.getMany(keys, proof)
    val nextShareState = shareState.update(stateUpdates, proof).get

    val validStateTransition = keys.indices.forall{
      (index: Int) =>
        val key           = keys(index)
        val output        = OUTPUTS(index + 2)
        val oldScoreState = oldScores(index).get
        val updated       = stateUpdates(index)._2
        val shareScore    = byteArrayToLong(oldScoreState.slice(0, 8))
        allOf(Coll(
          keys.indexOf(key, 0) == index,
          output.value == (shareScore * initialValue) / maxScore.toLong,
          oldScoreState(8) == 0.toByte,
          updated(8) == 1.toByte,
          byteArrayToLong(updated.slice(0, 8)) == shareScore,
          blake2b256(output.propositionBytes) == key
        ))
    }

    val nextState  = OUTPUTS(0)
    val nextReward = OUTPUTS(1)
    val nextStateValid = allOf(Coll(
      nextState.propositionBytes == SELF.propositionBytes,
      nextState.value == SELF.value,
      nextState.tokens == SELF.tokens,
      nextState.R4[AvlTree].get == nextShareState,
      nextState.R5[Int].get == maxScore,
      nextState.R6[Int].get == deadline
    ))
    val nextRewardValid = allOf(Coll(
      rewardBox.tokens(0)._1 == epochToken,
      nextReward.propositionBytes == rewardBox.propositionBytes,
      nextReward.tokens == rewardBox.tokens,
      nextReward.R4[Long].get == initialValue,
      nextReward.value == rewardBox.value - totalPaid
    ))
    sigmaProp(allOf(Coll(keys.size > 0, validStateTransition, nextStateValid, nextRewardValid)))
  }
}
