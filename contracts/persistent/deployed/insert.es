{
  // Insert (deployed, InsertBalance.ergo): new miners enter the tree at a zero balance.
  // Context variables on this box: 0 = (key, value) pairs, 1 = the insert proof.
  // A value is checked on its first 8 bytes only.
  val state     = INPUTS(0).R4[AvlTree].get
  val nextState = OUTPUTS(0).R4[AvlTree].get
  val poolNFT   = INPUTS(0).tokens(0)._1
  val pairs     = getVar[Coll[(Coll[Byte], Coll[Byte])]](0).get
  val proof     = getVar[Coll[Byte]](1).get

  val emptyInserts = pairs.forall{ (kv: (Coll[Byte], Coll[Byte])) =>
    byteArrayToLong(kv._2.slice(0, 8)) == 0L
  }
  val inserted = state.insert(pairs, proof).get
  sigmaProp(allOf(Coll(
    emptyInserts,
    nextState.digest == inserted.digest,
    poolNFT == _poolNFT,
    INPUTS(0).value == OUTPUTS(0).value
  )))
}
