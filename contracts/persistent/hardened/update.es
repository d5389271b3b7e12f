{
  // Update, hardened. The same variables and proof as deployed (../deployed/update.es), and:
  //   - the state box grows by the sum of the credits |delta| that the miners receive, not by
  //     the signed sum of the deltas: a negative delta no longer drains the box while
  //     crediting a miner,
  //   - each delta is exactly 8 bytes, and each key appears once: a repeated key was credited
  //     only its last delta while the box took them all,
  //   - OUTPUTS(0).R4 is the updated tree itself, not only its digest.
  val state   = INPUTS(0).R4[AvlTree].get
  val pairs   = getVar[Coll[(Coll[Byte], Coll[Byte])]](0).get
  val proof   = getVar[Coll[Byte]](1).get
  val keys    = pairs.map{ (kv: (Coll[Byte], Coll[Byte])) => kv._1 }
  val credits = pairs.map{ (kv: (Coll[Byte], Coll[Byte])) =>
    val delta: Long = byteArrayToLong(kv._2)
    if (delta < 0) delta * -1 else delta
  }
  val oldBalances = state.getMany(keys, proof)
  val newBalances = keys.indices.map{ (i: Int) =>
    val last: Long = byteArrayToLong(oldBalances(i).get)
    (keys(i), longToByteArray(last + credits(i)))
  }
  val totalCredit: Long = credits.fold(0L, { (z: Long, c: Long) => z + c })
  val updated = state.update(newBalances, proof).get
  sigmaProp(allOf(Coll(
    keys.indices.forall{ (i: Int) => keys.indexOf(keys(i), 0) == i && pairs(i)._2.size == 8 },
    OUTPUTS(0).value == INPUTS(0).value + totalCredit,
    OUTPUTS(0).R4[AvlTree].get == updated,
    INPUTS(0).tokens(0)._1 == _poolNFT
  )))
}
