{
  // Payout (deployed, PayoutBalance.ergo): miners paid their balance, which returns to zero.
  // Context variables on this box: 0 = (key, new value) pairs, 1 = the proof of the update,
  // which serves getMany as well. OUTPUTS(1 + i) pays key i (at its first index); the state box
  // shrinks by the old balances of every entry, so a repeated key is taken twice and paid once,
  // and nothing limits the outputs after the payments.
  val state     = INPUTS(0).R4[AvlTree].get
  val nextBox   = OUTPUTS(0)
  val nextState = nextBox.R4[AvlTree].get
  val poolNFT   = INPUTS(0).tokens(0)._1
  val pairs     = getVar[Coll[(Coll[Byte], Coll[Byte])]](0).get
  val proof     = getVar[Coll[Byte]](1).get
  val keys      = pairs.map{ (kv: (Coll[Byte], Coll[Byte])) => kv._1 }

  val oldBalances = state.getMany(keys, proof)
  val totalPaid = oldBalances.fold(0L, { (z: Long, b: Option[Coll[Byte]]) =>
    val owed: Long = byteArrayToLong(b.get)
    z + owed
  })
  val paymentsValid = pairs.forall{ (kv: (Coll[Byte], Coll[Byte])) =>
    val index  = keys.indexOf(kv._1, 0)
    val output = OUTPUTS(1 + index)
    allOf(Coll(
      output.value == byteArrayToLong(oldBalances(index).get),
      byteArrayToLong(kv._2) == 0L,
      blake2b256(output.propositionBytes) == kv._1
    ))
  }
  val updated = state.update(pairs, proof).get
  sigmaProp(allOf(Coll(
    paymentsValid,
    nextBox.value == INPUTS(0).value - totalPaid,
    nextState.digest == updated.digest,
    poolNFT == _poolNFT
  )))
}
