from gendan.cli import main

main()
