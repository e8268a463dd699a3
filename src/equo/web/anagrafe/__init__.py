"""The anagrafe: persons, nuclei familiari and the rete sociale of the people an ente follows."""
