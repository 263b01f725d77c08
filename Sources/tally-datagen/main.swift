print("tally-datagen")
