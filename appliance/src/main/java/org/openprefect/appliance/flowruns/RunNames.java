package org.openprefect.appliance.flowruns;

import java.util.concurrent.ThreadLocalRandom;

/** Random two-word run names ("loose-aardwolf"), as upstream gives runs created without one. */
public final class RunNames {
    private static final String[] ADJECTIVES = ("able agile amber ancient arctic ardent astute auburn austere azure bald bold bouncy brave bright "
            + "brilliant bronze busy calm capable careful certain charming cheerful classic clever colossal cool copper cordial cosmic "
            + "crafty crimson curious cute daft dainty dapper daring dashing delicate dexterous diligent discreet dizzy eager earnest "
            + "elated electric elegant emerald energetic enigmatic epic exotic fancy fast fearless festive fiery flawless fluffy "
            + "fortunate friendly frisky frosty gainful gallant garnet gentle giant glaring glorious golden gorgeous graceful grumpy "
            + "handsome happy hardy helpful heavenly hilarious honest hopeful hot humble hungry icy imaginary impartial impressive "
            + "industrious inquisitive invisible ivory jolly jovial keen khaki kind lavender lively logical loose lovely loyal lucky "
            + "magenta magnetic majestic maroon mauve meek merciful mighty modest nano neat nimble noisy nondescript olive omniscient "
            + "opalescent optimistic orange outgoing papaya passionate patient peach peculiar pink placid polite poised precious "
            + "proficient proud psychedelic quick quirky quizzical rainbow rational real resilient rich ruby rustling sage sandy "
            + "sapphire scarlet secret sensible shiny silky silver sincere smart smooth snobbish sociable spectral spicy spirited "
            + "steady stalwart stoic striped strong stylish successful sweet tactful tan tangerine teal tentacled thankful thundering "
            + "tidy tiny tough tomato tourmaline tricky tungsten turquoise ultramarine unbiased uncovered unique unselfish upbeat "
            + "uppish valiant vegan versatile vigilant vivacious vivid warm wealthy weightless whimsical wild wise witty wonderful "
            + "xanthic zealous zippy").split(" ");
    private static final String[] ANIMALS = ("aardwark aardwolf albatross alligator alpaca anaconda angelfish ant anteater antelope ape "
            + "armadillo avocet axolotl baboon badger barracuda bat bear beaver bee beetle binturong bird bison boa bobcat bonobo "
            + "booby buffalo bug bullfrog bumblebee butterfly buzzard caiman camel capybara caracal cardinal caribou cassowary cat "
            + "caterpillar centipede chachalaca chameleon cheetah chicken chimpanzee chinchilla chipmunk cicada civet clam cobra "
            + "cockatoo collie condor coot cormorant cougar cow coyote crab crane crocodile crow cuckoo curassow cuttlefish dachshund "
            + "deer dingo dinosaur dodo dog dolphin donkey dormouse dove dragon dragonfly duck eagle earthworm echidna eel egret eland "
            + "elephant elk emu ermine falcon ferret finch firefly fish flamingo fox frog galago gazelle gecko gerbil gharial gibbon "
            + "giraffe goat goose gopher gorilla grasshopper grebe groundhog grouse guanaco guillemot gull hamster hare harrier hawk "
            + "hedgehog heron hippo hog hoopoe hornet horse hound hummingbird husky hyena ibex ibis iguana impala jackal jaguar "
            + "jaguarundi jellyfish kakapo kangaroo kestrel kingfisher kittiwake kiwi koala kudu labradoodle ladybug lemming lemur "
            + "leopard limpet lion lizard llama lobster locust loon lorikeet lynx macaw malamute mamba mammoth manatee mandrill mantis "
            + "marmot marten mastiff mayfly meerkat mink mole mongoose monkey moose mosquito moth mouse mule newt nightingale ocelot "
            + "octopus okapi opossum orangutan orca oriole oryx ostrich otter owl ox oyster panda pangolin panther parakeet parrot "
            + "partridge peacock pelican penguin pheasant pig pigeon piranha platypus polecat pony porcupine porpoise potoo puffin "
            + "puma python quail quetzal quokka rabbit raccoon raven reindeer rhino robin rook rooster salamander salmon sambar "
            + "sawfish scorpion seahorse seal sealion shark sheep shrew shrimp skink skunk sloth slug snail snake sparrow spider "
            + "squid squirrel starfish starling stingray stoat stork swan swift tamarin tapir tarantula tarsier termite tern tiger "
            + "tortoise toucan turkey turtle uakari viper vole vulture wallaby walrus warthog wasp weasel whale wildebeest wolf "
            + "wolverine wombat woodpecker worm wren yak zebra").split(" ");

    private RunNames() {
    }

    public static String random() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return ADJECTIVES[r.nextInt(ADJECTIVES.length)] + "-" + ANIMALS[r.nextInt(ANIMALS.length)];
    }
}
