{
  // Payout, hardened. The same variables, proof and payments as deployed
  // (../deployed/payout.es), and:
  //   - each key appears once: deployed, a repeated key's old balance left the state box once
  //     per occurrence while OUTPUTS(1 + first index) paid it once,
  //   - no outputs beyond the payments but the operator's change and the fee
  //     (OUTPUTS.size <= keys.size + 3): the deployed set let any number follow,
  //   - each new value is exactly 8 zero bytes,
  //   - OUTPUTS(0).R4 is the updated tree itself, not only its digest.
  val state   = INPUTS(0).R4[AvlTree].get
  val pairs   = getVar[Coll[(Coll[Byte], Coll[Byte])]](0).get
  val proof   = getVar[Coll[Byte]](1).get
  val keys    = pairs.map{ (kv: (Coll[Byte], Coll[Byte])) => kv._1 }
  val zero    = longToByteArray(0L)
  val oldBalances = state.getMany(keys, proof)
  val owed = oldBalances.map{ (b: Option[Coll[Byte]]) =>
    val balance: Long = byteArrayToLong(b.get)
    balance
  }
  val paymentsValid = keys.indices.forall{ (i: Int) =>
    allOf(Coll(
      keys.indexOf(keys(i), 0) == i,
      OUTPUTS(1 + i).value == owed(i),
      pairs(i)._2 == zero,
      blake2b256(OUTPUTS(1 + i).propositionBytes) == keys(i)
    ))
  }
  val totalPaid: Long = owed.fold(0L, { (z: Long, o: Long) => z + o })
  val updated = state.update(pairs, proof).get
  sigmaProp(allOf(Coll(
    paymentsValid,
    OUTPUTS.size <= keys.size + 3,
    OUTPUTS(0).value == INPUTS(0).value - totalPaid,
    OUTPUTS(0).R4[AvlTree].get == updated,
    INPUTS(0).tokens(0)._1 == _poolNFT
  )))
}
