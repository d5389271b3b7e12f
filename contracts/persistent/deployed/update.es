{
  // Update (deployed, UpdateBalance.ergo): a round's credits. Context variables on this box:
  // 0 = (key, delta) pairs, delta an 8-byte Long, 1 = the proof of the update, which serves
  // getMany as well. Each miner's new balance is old + |delta|, but the state box grows by the
  // signed sum of the deltas: a negative delta credits a miner while draining the box.
  val state     = INPUTS(0).R4[AvlTree].get
  val nextBox   = OUTPUTS(0)
  val nextState = nextBox.R4[AvlTree].get
  val poolNFT   = INPUTS(0).tokens(0)._1
  val pairs     = getVar[Coll[(Coll[Byte], Coll[Byte])]](0).get
  val proof     = getVar[Coll[Byte]](1).get
  val keys      = pairs.map{ (kv: (Coll[Byte], Coll[Byte])) => kv._1 }

  val oldBalances = state.getMany(keys, proof)
  val totalCredit = pairs.fold(0L, { (z: Long, kv: (Coll[Byte], Coll[Byte])) =>
    val delta: Long = byteArrayToLong(kv._2)
    z + delta
  })
  val newBalances = pairs.map{ (kv: (Coll[Byte], Coll[Byte])) =>
    val index  = keys.indexOf(kv._1, 0)
    val last: Long  = byteArrayToLong(oldBalances(index).get)
    val delta: Long = byteArrayToLong(kv._2)
    val credit = if (delta < 0) delta * -1 else delta
    (kv._1, longToByteArray(credit + last))
  }
  val updated = state.update(newBalances, proof).get
  sigmaProp(allOf(Coll(
    nextBox.value == INPUTS(0).value + totalCredit,
    nextState.digest == updated.digest,
    poolNFT == _poolNFT
  )))
}
