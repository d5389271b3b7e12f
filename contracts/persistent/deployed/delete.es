{
  // Delete (deployed, DeleteBalance.ergo): miners at a zero balance leave the tree.
  // Context variables on this box: 0 = the keys, 1 = a lookup proof, 2 = the removal proof.
  val state     = INPUTS(0).R4[AvlTree].get
  val nextBox   = OUTPUTS(0)
  val nextState = nextBox.R4[AvlTree].get
  val poolNFT   = INPUTS(0).tokens(0)._1
  val keys         = getVar[Coll[Coll[Byte]]](0).get
  val lookupProof  = getVar[Coll[Byte]](1).get
  val removalProof = getVar[Coll[Byte]](2).get

  val allZero = state.getMany(keys, lookupProof).forall{ (b: Option[Coll[Byte]]) =>
    byteArrayToLong(b.get) == 0L
  }
  val removed = state.remove(keys, removalProof).get
  sigmaProp(allOf(Coll(
    allZero,
    nextBox.value == INPUTS(0).value,
    nextState.digest == removed.digest,
    poolNFT == _poolNFT
  )))
}
