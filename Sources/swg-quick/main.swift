print("swg-quick")
