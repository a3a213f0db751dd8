print("swg")
