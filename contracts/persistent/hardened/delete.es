{
  // Delete, hardened. As deployed (../deployed/delete.es), and OUTPUTS(0).R4 is the tree after
  // the removal itself, not only its digest. A repeated key needs no check: removing a key
  // twice fails.
  val state        = INPUTS(0).R4[AvlTree].get
  val keys         = getVar[Coll[Coll[Byte]]](0).get
  val lookupProof  = getVar[Coll[Byte]](1).get
  val removalProof = getVar[Coll[Byte]](2).get
  val allZero = state.getMany(keys, lookupProof).forall{ (b: Option[Coll[Byte]]) =>
    byteArrayToLong(b.get) == 0L
  }
  val removed = state.remove(keys, removalProof).get
  sigmaProp(allOf(Coll(
    allZero,
    OUTPUTS(0).value == INPUTS(0).value,
    OUTPUTS(0).R4[AvlTree].get == removed,
    INPUTS(0).tokens(0)._1 == _poolNFT
  )))
}
