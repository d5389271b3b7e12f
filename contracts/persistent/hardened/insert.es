{
  // Insert, hardened. As deployed (../deployed/insert.es), and:
  //   - each value is exactly 8 zero bytes: the deployed check reads only the first 8 bytes,
  //     so a longer value with anything after them was accepted,
  //   - OUTPUTS(0).R4 is the inserted tree itself (digest, flags, key and value lengths), not
  //     only its digest.
  // A repeated key needs no check: inserting a key twice fails.
  val state   = INPUTS(0).R4[AvlTree].get
  val pairs   = getVar[Coll[(Coll[Byte], Coll[Byte])]](0).get
  val proof   = getVar[Coll[Byte]](1).get
  val zero    = longToByteArray(0L)
  val inserted = state.insert(pairs, proof).get
  sigmaProp(allOf(Coll(
    pairs.forall{ (kv: (Coll[Byte], Coll[Byte])) => kv._2 == zero },
    OUTPUTS(0).R4[AvlTree].get == inserted,
    INPUTS(0).tokens(0)._1 == _poolNFT,
    OUTPUTS(0).value == INPUTS(0).value
  )))
}
